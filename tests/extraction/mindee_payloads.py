"""The JSON bodies Mindee's invoice API v4 answers with: a French invoice prediction and the errors.

Shapes follow Mindee's documentation and the fixtures its SDKs test against
(mindee/client-lib-test-data: v1/products/invoices/response_v4/complete.json, errors/*.json).
"""

import copy

PREDICT_PATH = "/v1/products/mindee/invoices/v4/predict"
PUBLIC_URL = "https://api.mindee.net" + PREDICT_PATH
ERRORS = {
    # The bodies of mindee/client-lib-test-data (errors/ and v1/errors/), which the SDKs test against.
    401: {"code": "Unauthorized", "details": "Invalid token provided", "message": "Authorization required"},
    403: {"code": "Forbidden", "details": "mindee/invoices does not support sync mode",
          "message": "This product does not support synchronous mode"},
    429: {"code": "TooManyRequests", "details": "Too Many Requests.", "message": "Too many requests"},
    500: {"code": "failure", "details": "Can not run prediction: ", "message": "Inference failed"},
    400: {"code": "BadRequest", "details": {"document": ["Missing data for required field."]},
          "message": "Invalid fields in form"},
    404: {"code": "NotFound", "details": "Product not found", "message": "Not found"},
}


def error_body(status: int) -> dict:
    return {"api_request": {"error": ERRORS[status], "resources": [], "status": "failure",
                            "status_code": status, "url": PUBLIC_URL}}


def _field(value, confidence=0.99, page_id=0):
    polygon = [[0.08, 0.05], [0.46, 0.05], [0.46, 0.07], [0.08, 0.07]] if value is not None else []
    return {"confidence": confidence if value is not None else 0, "page_id": page_id, "polygon": polygon,
            "value": value}


def _address(value):
    return {**_field(value), "address_complement": None, "city": "Lyon", "country": "France", "po_box": None,
            "postal_code": "69002", "state": None, "street_name": "rue de la République", "street_number": "12"}


def _registration(kind, value, confidence=0.99):
    return {**_field(value, confidence), "type": kind}


def french_invoice_prediction() -> dict:
    """A French invoice as Mindee predicts it: two VAT rates, SIREN/SIRET/VAT number, an IBAN."""
    return {
        "billing_address": _address(None), "category": {"confidence": 0.98, "value": "services"},
        "customer_address": _address("8 place Bellecour, 69002 Lyon"),
        "customer_company_registrations": [_registration("VAT NUMBER", "FR11123456782", 0.91)],
        "customer_id": _field("CLI-0042", 0.88), "customer_name": {**_field("BOULANGERIE MARTIN", 0.95),
                                                                     "raw_value": "Boulangerie Martin"},
        "date": _field("2025-03-14", 0.99), "document_type": {"value": "INVOICE"},
        "document_type_extended": {"confidence": 0.99, "value": "INVOICE"},
        "due_date": {**_field("2025-04-13", 0.97), "is_computed": False},
        "invoice_number": _field("FA-2025-0117", 0.99),
        "line_items": [{"confidence": 0.95, "description": "Impression flyers A5", "page_id": 0, "polygon": [],
                        "product_code": "FLY-A5", "quantity": 1000, "tax_amount": 200, "tax_rate": 20,
                        "total_amount": 1000, "unit_measure": None, "unit_price": 1}],
        "locale": {"confidence": 0.99, "country": "FR", "currency": "EUR", "language": "fr", "value": "fr-FR"},
        "payment_date": _field(None), "po_number": _field("BC-778", 0.8), "reference_numbers": [],
        "shipping_address": _address(None), "subcategory": {"confidence": 0, "value": None},
        "supplier_address": _address("12 rue de la République, 69002 Lyon"),
        "supplier_company_registrations": [_registration("SIREN", "732 829 320", 0.97),
                                           _registration("SIRET", "732 829 320 00074", 0.96),
                                           _registration("VAT NUMBER", "FR44732829320", 0.98)],
        "supplier_email": _field("compta@imprimerie-lenoir.fr", 0.9),
        "supplier_name": {**_field("IMPRIMERIE LENOIR", 0.96), "raw_value": "Imprimerie Lenoir"},
        "supplier_payment_details": [{"account_number": None, "confidence": 0.93, "iban": "FR7630006000011234567890189",
                                      "page_id": 0, "polygon": [], "routing_number": None, "swift": "AGRIFRPP"}],
        "supplier_phone_number": _field("04 72 00 00 00", 0.9), "supplier_website": _field(None),
        "taxes": [{"base": 1000.0, "code": None, "confidence": 0.94, "page_id": 0, "polygon": [], "rate": 20.0,
                   "value": 200.0},
                  {"base": 250.0, "code": None, "confidence": 0.9, "page_id": 0, "polygon": [], "rate": 10.0,
                   "value": 25.0}],
        "total_amount": _field(1475.0, 0.99), "total_net": _field(1250.0, 0.98), "total_tax": _field(225.0, 0.97),
    }


def success_body(prediction: dict, filename: str) -> dict:
    page = copy.deepcopy(prediction)
    page["orientation"] = {"value": 0}
    return {
        "api_request": {"error": {}, "resources": ["document"], "status": "success", "status_code": 201,
                        "url": PUBLIC_URL},
        "document": {
            "id": "4a2d3f0e-52a4-4a11-9a2f-0c8f1d6b7e21", "n_pages": 1, "name": filename,
            "inference": {
                "extras": {}, "finished_at": "2025-03-14T09:12:03.117000", "is_rotation_applied": True,
                "pages": [{"extras": {}, "id": 0, "orientation": {"value": 0}, "prediction": page}],
                "prediction": prediction, "processing_time": 1.87,
                "product": {"features": sorted(prediction), "name": "mindee/invoices", "version": "4.11"},
                "started_at": "2025-03-14T09:12:01.245000",
            },
        },
    }
