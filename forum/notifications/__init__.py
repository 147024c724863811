"""Notifications: email through an outbox.

Sending a message means adding an `OutboxMessage` in the same transaction as the change that
caused it, so a rolled-back change sends nothing. `flask outbox send` (or `--watch`) delivers
pending rows by SMTP or to the log, with retries and backoff, and claims each row before
sending so two workers never send the same one.
"""
