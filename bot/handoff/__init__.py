"""Handing conversations to human advisors: tickets, queue, hours, agents, console.

The assistant opens a ticket (`tickets`), tells the customer their place in the
queue (`queue`) or, outside the support hours (`hours`), offers a callback
(`callbacks`). Agents (`agents`, `sessions`) claim tickets in the console and answer
through the customer's own channel (`gateway`).
"""
