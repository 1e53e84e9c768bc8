"""The API: django-ninja under /api/, OpenAPI at /api/docs (DESIGN: API)."""

from zhiban.alarms.api import router as alarms_router
from zhiban.core.api import install_error_handlers
from zhiban.core.api import router as core_router
from zhiban.core.api_auth import JsonParser, SessionAuth, TokenThrottle
from zhiban.core.job_api import router as core_job_router
from zhiban.core.openapi import ZhibanAPI
from zhiban.duty.api import router as duty_router
from zhiban.duty.api_handover import router as duty_handover_router
from zhiban.emergency.api import router as emergency_router
from zhiban.ops.api import router as ops_router
from zhiban.org.api import router as org_router
from zhiban.org.tokens import TokenAuth
from zhiban.patrols.api import router as patrols_router
from zhiban.registers.api import router as registers_router
from zhiban.reports.api import router as reports_router
from zhiban.service.api import router as service_router
from zhiban.upkeep.api import router as upkeep_router
from zhiban.work.api import router as work_router

api = ZhibanAPI(
    title="Zhiban API",
    version="1",
    description="Duty operations for monitoring centres. Authenticate with the browser "
    "session (and CSRF token) or a personal token: `Authorization: Bearer zb_…`. Errors are "
    '`{"code", "message", "rule", "fields"}`; records of other centres answer 404.',
    auth=[TokenAuth(), SessionAuth()],
    throttle=[TokenThrottle()],
    parser=JsonParser(),
    urls_namespace="api",
    docs_url="/docs",
)
install_error_handlers(api)
api.add_router("/", org_router)
api.add_router("/", core_router)
api.add_router("/", core_job_router)
api.add_router("/", duty_router)
api.add_router("/", duty_handover_router)
api.add_router("/", ops_router)
api.add_router("/", work_router)
api.add_router("/", alarms_router)
api.add_router("/", service_router)
api.add_router("/", registers_router)
api.add_router("/", emergency_router)
api.add_router("/", patrols_router)
api.add_router("/", upkeep_router)
api.add_router("/", reports_router)
