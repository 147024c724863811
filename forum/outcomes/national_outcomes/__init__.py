"""National outcomes: where the decision maker is not a local partner (a government
department), the forum's organisers record on a theme what that body decided, when, with a
link. It is shown in "you said, we did" beside local partners' answers, labelled national."""
