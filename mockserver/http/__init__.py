"""The only package that knows Connexion and Starlette: app factory, middleware, admin API."""
