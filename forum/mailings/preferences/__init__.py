"""Your emails: each person chooses, per forum and per kind of optional email, whether it comes
straight away, in a daily or weekly email, or never (`/account/emails`). The choices are the
plumbing's (`forum.notifications.preferences`); this part is the page, its form and what
"Your data" says about them."""
