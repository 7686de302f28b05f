"""Reports: the consolidated report's model, its facts and lines, the assessment, actual values."""
