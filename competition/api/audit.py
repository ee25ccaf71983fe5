"""The audit log and the policy history, for staff."""
from ..permissions import can_view_audit, can_view_policy
from ..services.audit import list_audit
from ..services.policy import list_policy_versions
from .framework import STAFF_ROLES, api_route
from .schemas import AuditFilter, AuditOut, PolicyVersionOut


@api_route("/audit", roles=STAFF_ROLES, query=AuditFilter, response=AuditOut, paginated=True, allow=can_view_audit,
           summary="审计日志", tags=["audit"])
def list_audit_entries(query: AuditFilter):
    """Audit rows, newest first, filtered by object, action or user."""
    return list_audit(object_type=query.object_type, object_id=query.object_id, action=query.action,
                      user_id=query.user_id)


@api_route("/policy-versions", roles=STAFF_ROLES, response=PolicyVersionOut, paginated=True, allow=can_view_policy,
           summary="政策参数版本", tags=["policy"])
def list_policies():
    """Every policy version, newest first."""
    return list_policy_versions()
