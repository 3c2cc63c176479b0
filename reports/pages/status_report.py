"""The web form reporting a track's status, refusing a rating that contradicts the derived light
without a justification (as the API does)."""

from portfolio.web import edit_project

from ..derived import check_justified


class StatusReport(edit_project.StatusReport):
    def run(self, data: dict, state, target, user, expected_version):
        check_justified(state.project.id, target or None, data.get("rating"), data["justification"])
        super().run(data, state, target, user, expected_version)
