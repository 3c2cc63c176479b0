"""Webhooks: subscriptions to event kinds, and their signed, ordered, retried deliveries."""
