"""The OpenAPI 3.1 document of the card-check API: what facility software is built against, and
what the contract tests hold every answer to (tests/test_api.py)."""

from __future__ import annotations

ERROR_CODES = (
    "unauthorized",
    "invalid_json",
    "invalid_request",
    "too_large",
    "unsupported_media_type",
    "does_not_match",
    "qr_unreadable",
    "qr_forged",
    "rate_limited",
    "not_found",
    "method_not_allowed",
)

_DATE = {"type": "string", "format": "date", "examples": ["1985-03-14"]}
_FACILITY = {
    "type": "object",
    "required": ["code", "name"],
    "additionalProperties": False,
    "properties": {
        "code": {"type": "string", "pattern": "^[0-9]{5}$", "examples": ["01101"]},
        "name": {"type": "string"},
    },
}
_CLERK = {
    "type": "object",
    "description": "Who checks, at the desk: recorded with the check.",
    "required": ["name", "id_number"],
    "additionalProperties": False,
    "properties": {
        "name": {"type": "string", "minLength": 1, "maxLength": 120},
        "id_number": {
            "type": "string",
            "pattern": "^([0-9]{9}|[0-9]{12})$",
            "description": "The clerk's CCCD (12 digits) or CMND (9 digits).",
        },
    },
}


def _error(description: str, codes: tuple[str, ...]) -> dict:
    return {
        "description": description,
        "content": {
            "application/json": {
                "schema": {"$ref": "#/components/schemas/Error"},
                "examples": {
                    code: {"value": {"error": {"code": code, "message": "…"}}} for code in codes
                },
            }
        },
    }


def document(server_url: str) -> dict:
    """The document, with this server's address."""
    return {
        "openapi": "3.1.0",
        "info": {
            "title": "VssID card-check API",
            "version": "1.0.0",
            "description": (
                "Health facilities check a patient's health insurance card (thẻ BHYT) at the "
                "desk: by card number or BHXH code with the holder's full name and date of "
                "birth, or by the text a desk scanner reads from the card's QR code (its "
                "signature is verified). Each facility calls with its own API key, which an "
                "admin of Vietnam Social Security creates and revokes; every check is audited "
                "and shown to the card holder in their access log. Errors are JSON with a "
                "stable `code`; a mismatch of card, name and birth date answers `does_not_match` "
                "without saying which. Messages follow Accept-Language (vi, en, ko, ja, zh)."
            ),
        },
        "servers": [{"url": server_url}],
        "security": [{"facilityKey": []}],
        "paths": {
            "/card-checks": {
                "post": {
                    "operationId": "checkCard",
                    "summary": "Check a health insurance card",
                    "requestBody": {
                        "required": True,
                        "content": {
                            "application/json": {
                                "schema": {"$ref": "#/components/schemas/CardCheckRequest"},
                                "examples": {
                                    "by card number": {
                                        "value": {
                                            "card_number": "DN4010112345678",
                                            "full_name": "Nguyễn Văn An",
                                            "date_of_birth": "1985-03-14",
                                            "clerk": {
                                                "name": "Lê Thị Tiếp Đón",
                                                "id_number": "001190012345",
                                            },
                                        }
                                    },
                                    "by the QR's text": {
                                        "value": {
                                            "qr": "DN4010112345678|…|eyJhbGciOiJFUzI1NiIs…",
                                            "clerk": {
                                                "name": "Lê Thị Tiếp Đón",
                                                "id_number": "001190012345",
                                            },
                                        }
                                    },
                                },
                            }
                        },
                    },
                    "responses": {
                        "200": {
                            "description": "The holder's current card and recent visits.",
                            "content": {
                                "application/json": {
                                    "schema": {"$ref": "#/components/schemas/CardCheckResult"}
                                }
                            },
                        },
                        "400": _error(
                            "The body is not a check (see `fields`), or the QR's text is not "
                            "a card QR.",
                            ("invalid_json", "invalid_request", "qr_unreadable"),
                        ),
                        "401": _error("No API key, or not a valid one.", ("unauthorized",)),
                        "413": _error("The body is larger than 8 KiB.", ("too_large",)),
                        "415": _error("The body is not JSON.", ("unsupported_media_type",)),
                        "422": _error(
                            "The card, name and birth date do not match a holder; or the QR "
                            "is forged or altered.",
                            ("does_not_match", "qr_forged"),
                        ),
                        "429": _error(
                            "Too many checks with this key (`API_LIMIT_PER_KEY`).",
                            ("rate_limited",),
                        ),
                    },
                }
            }
        },
        "components": {
            "securitySchemes": {
                "facilityKey": {
                    "type": "http",
                    "scheme": "bearer",
                    "description": "The facility's API key: `Authorization: Bearer vssid_…`.",
                }
            },
            "schemas": {
                "CardCheckRequest": {
                    "type": "object",
                    "description": (
                        "Exactly one of `card_number`, `bhxh_code` and `qr`; with a card "
                        "number or a code, also `full_name` and `date_of_birth`."
                    ),
                    "required": ["clerk"],
                    "additionalProperties": False,
                    "properties": {
                        "card_number": {
                            "type": "string",
                            "description": "15 characters; spaces allowed.",
                            "examples": ["DN4010112345678"],
                        },
                        "bhxh_code": {"type": "string", "pattern": "^[0-9]{10}$"},
                        "full_name": {"type": "string", "minLength": 1, "maxLength": 120},
                        "date_of_birth": _DATE,
                        "qr": {"type": "string", "minLength": 1, "maxLength": 2000},
                        "clerk": _CLERK,
                    },
                    "oneOf": [
                        {"required": ["card_number", "full_name", "date_of_birth"]},
                        {"required": ["bhxh_code", "full_name", "date_of_birth"]},
                        {"required": ["qr"]},
                    ],
                },
                "CardCheckResult": {
                    "type": "object",
                    "required": ["result", "checked_at", "holder", "card", "recent_visits"],
                    "additionalProperties": False,
                    "properties": {
                        "result": {
                            "type": "string",
                            "enum": ["valid", "expired", "not_yet_valid"],
                            "description": "The holder's current card today.",
                        },
                        "checked_at": {"type": "string", "format": "date-time"},
                        "holder": {
                            "type": "object",
                            "required": ["bhxh_code", "full_name", "date_of_birth", "gender"],
                            "additionalProperties": False,
                            "properties": {
                                "bhxh_code": {"type": "string", "pattern": "^[0-9]{10}$"},
                                "full_name": {"type": "string"},
                                "date_of_birth": _DATE,
                                "gender": {"type": "string", "enum": ["male", "female"]},
                            },
                        },
                        "card": {
                            "type": "object",
                            "required": [
                                "number",
                                "group_code",
                                "benefit_level",
                                "benefit_percent",
                                "valid_from",
                                "valid_to",
                                "expiring_soon",
                                "five_years_from",
                                "primary_care_facility",
                            ],
                            "additionalProperties": False,
                            "properties": {
                                "number": {"type": "string", "pattern": "^[A-Z]{2}[1-5][0-9]{12}$"},
                                "group_code": {"type": "string", "pattern": "^[A-Z]{2}$"},
                                "benefit_level": {"type": "integer", "minimum": 1, "maximum": 5},
                                "benefit_percent": {
                                    "type": "integer",
                                    "minimum": 0,
                                    "maximum": 100,
                                },
                                "valid_from": _DATE,
                                "valid_to": _DATE,
                                "expiring_soon": {"type": "boolean"},
                                "five_years_from": {
                                    "oneOf": [_DATE, {"type": "null"}],
                                    "description": "Thời điểm đủ 5 năm liên tục.",
                                },
                                "primary_care_facility": _FACILITY,
                            },
                        },
                        "recent_visits": {
                            "type": "array",
                            "maxItems": 5,
                            "items": {
                                "type": "object",
                                "required": [
                                    "admitted_on",
                                    "discharged_on",
                                    "inpatient",
                                    "icd10",
                                    "facility",
                                ],
                                "additionalProperties": False,
                                "properties": {
                                    "admitted_on": _DATE,
                                    "discharged_on": _DATE,
                                    "inpatient": {"type": "boolean"},
                                    "icd10": {"type": "string"},
                                    "facility": _FACILITY,
                                },
                            },
                        },
                    },
                },
                "Error": {
                    "type": "object",
                    "required": ["error"],
                    "additionalProperties": False,
                    "properties": {
                        "error": {
                            "type": "object",
                            "required": ["code", "message"],
                            "additionalProperties": False,
                            "properties": {
                                "code": {"type": "string", "enum": list(ERROR_CODES)},
                                "message": {"type": "string"},
                                "fields": {
                                    "type": "array",
                                    "items": {"type": "string"},
                                    "description": "With invalid_request: the fields to fix.",
                                },
                            },
                        }
                    },
                },
            },
        },
    }
