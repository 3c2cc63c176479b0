"""The report archive's schema class: imported when a schema is made (api_platform/annotations)."""

from portfolio.api_platform.schema import ProblemAutoSchema


class ReportsSchema(ProblemAutoSchema):
    def _get_request_body(self, direction="request"):
        body = super()._get_request_body(direction)
        # drf-spectacular leaves a polymorphic body optional; every kind requires `kind`.
        if body is not None and self.method == "POST":
            body["required"] = True
        return body
