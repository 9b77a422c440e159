"""Domain package of the porting assistant: rules, dates, persistence, messaging."""
