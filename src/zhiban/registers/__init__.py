"""The registers of a monitoring room or front desk (REG-1 … REG-9): visitors, footage access,
phone messages, lending, lost and found, repairs, wake-up calls, do-not-disturb, big-screen use."""
