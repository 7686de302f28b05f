"""Documents sent upward: the consolidated report (Word, Excel), charts, the information panel."""
