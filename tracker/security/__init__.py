"""Security pieces: the client and session policy, middleware, the lockout backend, sign-in
audit and the admin's clinic scope."""
