"""Words: Russian wording of dates, numbers and periods; the labels of states and verdicts."""
