/**
 * Role and RoleBinding: ports of `pkg/apis/rbac/validation/validation.go` (Kubernetes 1.27)
 * ValidatePolicyRule, ValidateRoleBinding and ValidateRoleBindingSubject (namespaced).
 */
import { Errors, list, obj } from './field';
import { isDNS1123Subdomain, isValidPathSegmentName } from './meta';

const RBAC_GROUP = 'rbac.authorization.k8s.io';

/** ValidateRole → ValidatePolicyRule for each rule (namespaced). */
export function validateRole(doc: Record<string, any>, errs: Errors): void {
  list(doc.rules).forEach((rule, i) => {
    const p = `rules[${i}]`;
    if (list(rule?.verbs).length === 0) errs.required(`${p}.verbs`, 'verbs must contain at least one value');
    if (list(rule?.nonResourceURLs).length > 0) {
      errs.invalid(`${p}.nonResourceURLs`, rule.nonResourceURLs, 'namespaced rules cannot apply to non-resource URLs');
      if (list(rule.apiGroups).length + list(rule.resources).length + list(rule.resourceNames).length > 0) {
        errs.invalid(`${p}.nonResourceURLs`, rule.nonResourceURLs, 'rules cannot apply to both regular resources and non-resource URLs');
      }
      return;
    }
    if (list(rule?.apiGroups).length === 0) errs.required(`${p}.apiGroups`, 'resource rules must supply at least one api group');
    if (list(rule?.resources).length === 0) errs.required(`${p}.resources`, 'resource rules must supply at least one resource');
  });
}

/** ValidateRoleBinding: the role reference and each subject. */
export function validateRoleBinding(doc: Record<string, any>, errs: Errors): void {
  const ref = obj(doc.roleRef);
  if (ref.apiGroup !== RBAC_GROUP) errs.notSupported('roleRef.apiGroup', ref.apiGroup, [RBAC_GROUP]);
  if (!['ClusterRole', 'Role'].includes(ref.kind)) errs.notSupported('roleRef.kind', ref.kind, ['ClusterRole', 'Role']);
  if (!ref.name) errs.required('roleRef.name');
  else errs.each('roleRef.name', ref.name, isValidPathSegmentName(String(ref.name)));
  list(doc.subjects).forEach((s, i) => {
    const p = `subjects[${i}]`;
    if (!s?.name) errs.required(`${p}.name`);
    if (s?.kind === 'ServiceAccount') {
      if (s.name) errs.each(`${p}.name`, s.name, isDNS1123Subdomain(String(s.name)));
      if (s.apiGroup) errs.notSupported(`${p}.apiGroup`, s.apiGroup, ['']);
    } else if (s?.kind === 'User' || s?.kind === 'Group') {
      if (s.apiGroup !== RBAC_GROUP) errs.notSupported(`${p}.apiGroup`, s.apiGroup, [RBAC_GROUP]);
    } else errs.notSupported(`${p}.kind`, s?.kind, ['Group', 'ServiceAccount', 'User']);
  });
}
