"""SOP steps: advancing a request, the documents and numbers a step makes, corrections,
reminders, shortfall letters, the history writer and each person's tasks."""
