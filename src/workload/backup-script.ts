/**
 * The shell script of a volume's backup on start: archives the volume into `/backups` as
 * `<name>-<UTC time>.tar.gz` (written under a `.partial` name, then renamed, so a crash never
 * leaves a half archive under a real name) and keeps the newest `keep` archives.
 */
export function backupScript(name: string, mountPath: string, keep: number): string {
  return [
    'set -eu',
    // $$ escapes Kubernetes' own $(VAR) expansion.
    `file="/backups/${name}-$$(date -u +%Y%m%dT%H%M%SZ).tar.gz"`,
    `tar -czf "$file.partial" -C ${mountPath} .`,
    'mv "$file.partial" "$file"',
    `ls -1t /backups/${name}-*.tar.gz | tail -n +${keep + 1} | xargs -r rm -f --`,
    'rm -f /backups/*.partial',
    'ls -l /backups',
  ].join('\n');
}
