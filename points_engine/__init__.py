"""The red points economy: ledger, earning rules, redemption. Knows nothing of GraphQL, services
or who is asking; callers check access and pass plain ids."""
