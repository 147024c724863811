"""The forum's collective response to a consultation: organisers draft an answer per question
(or per section), beside the coded answers members gave; share the draft with the area's
members, who comment on each part; mark it final, publish it on the consultation page with a
downloadable copy, and record when it was submitted to the body that asked."""
