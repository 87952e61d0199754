"""Who may do what: roles from the models' declarations, the centre scope of every query, and the security manager
(lockout, audit of logins, limits on the API login)."""
