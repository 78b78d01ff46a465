"""Orders written in a salesperson's mail (block, pasted table, CSV or JSON file), read for invoicing."""

from orders.model import ClientDetails, Order, OrderLine, OrderProblem, OrderReading
from orders.reading import complete_order, read_order
from orders.request_data import order_request_data, order_totals

__all__ = ["ClientDetails", "Order", "OrderLine", "OrderProblem", "OrderReading", "read_order", "complete_order",
           "order_request_data", "order_totals"]
