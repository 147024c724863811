"""The organiser's survey builder: settings, questions, order, show-if conditions, copies, the
bank of standard questions and the preview."""
