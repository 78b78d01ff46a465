"""Getting paid: the reminder ladder, payments, client replies and the manager's commands."""
