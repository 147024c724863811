"""Newsletters: messages an organiser writes to the area's members (those who chose to get
newsletters), to members and public subscribers, or to the people who answered a
consultation; checked with a preview, a recipient count and a test to oneself; sent now or
at a chosen time by the fan-out job (`services.fan_out_due`), with progress and counts; and
kept in the area's archive. Routes are on the `mailings` blueprint."""
