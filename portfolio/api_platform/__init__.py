"""The REST API's shared parts: authentication, permissions, problems, ETags, idempotency, feed."""
