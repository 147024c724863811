"""One-click unsubscribe: the page an email's footer links to, and the POST mail programs
send (RFC 8058). The signed token in the link is the only authority needed."""
