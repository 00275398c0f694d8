/**
 * The name of the execution running a case's review now: the case id, then
 * `<caseId>-resume-<n>` after the n-th resume (Step Functions never reuses an execution name).
 */
export function executionNameOf(record: { caseId: string; resumes?: number | undefined }): string {
  return record.resumes ? `${record.caseId}-resume-${record.resumes}` : record.caseId;
}

/** The case id an execution of the rapid-review state machine runs for, from its name. */
export function caseIdOfExecution(executionName: string): string {
  return executionName.replace(/-resume-\d+$/, '');
}
