"""Account security: the second factor, sessions held on the server, and confirming it is you.

- An authenticator app (TOTP, RFC 6238) with ten single-use recovery codes. Organisers,
  responders and platform admins must set one up before they use anything else; anyone else
  may. Signing in then asks for a code after the password, as a separate step.
- Each signed-in browser is a `UserSession` row: "your sessions" lists them, and any one can be
  signed out. Staff sessions end after `STAFF_IDLE_MINUTES` without a request.
- Exports and role changes ask for the password or a code again when the last proof is older
  than `REAUTH_MINUTES` (`guard.recently_authenticated`).

The routes belong to the accounts blueprint.
"""
