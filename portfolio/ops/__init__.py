"""What web and worker processes share: request ids and logs, the heartbeat, task hooks."""
