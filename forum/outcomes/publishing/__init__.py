"""Publishing a consultation's response, and the published "We asked, you said, we did"
section on the consultation page."""
