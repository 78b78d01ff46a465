"""Orders copied to the gateway: their stored state, and the invoices issued for them."""
