import { asList, httpPath, port as portCheck, quantity, show } from '../checks';
import { envProblems } from '../config';
import { Resources } from '../environment';
import { imageProblem } from '../image';
import { ContainerInput } from './types';

/**
 * Checks what every container needs, whatever construct renders it. `resourcesField` names the
 * resources in messages (`profile.resources` where they come from an overlay profile).
 */
export function containerProblems(c: Partial<ContainerInput>, pinned: boolean, envName: string, resourcesField = 'resources'): Array<[string, string]> {
  const out: Array<[string, string]> = [];
  const add = (field: string, m: string | undefined) => m !== undefined && out.push([field, m]);
  add('image', imageProblem(c.image, pinned, envName));
  for (const [f, m] of resourceProblems(c.resources)) add(f.replace(/^resources/, resourcesField), m);
  for (const [f, m] of envProblems(c.env)) add(f, m);
  const hasPort = asList(c.ports).length > 0;
  const fields = c.probeFields ?? { readiness: 'readiness', liveness: 'liveness' };
  for (const [f, h] of [[fields.readiness, c.readiness], [fields.liveness, c.liveness]] as const) {
    if (h === undefined) continue;
    if (typeof h !== 'object' || h === null) add(f, `${show(h)} is not a health check; use { http: path }, { exec: [...] } or { tcp: port }`);
    else if (h.timeoutSeconds !== undefined && (!Number.isInteger(h.timeoutSeconds) || h.timeoutSeconds < 1 || h.timeoutSeconds > 60)) {
      add(f, `timeoutSeconds ${show(h.timeoutSeconds)} is not allowed; use a whole number from 1 to 60`);
    }
    else if ('http' in h) {
      if (typeof h.http !== 'string') { add(f, httpPath(h.http)); continue; }
      add(f, httpPath(h.http));
      if (h.port !== undefined) add(f, portCheck(h.port));
      else if (!hasPort) add(f, `an HTTP check needs a port, and the container has none; give the workload a port or use { http, port }`);
    } else if ('tcp' in h) add(f, portCheck(h.tcp));
    else if (!('exec' in h) || !Array.isArray(h.exec) || h.exec.length === 0 || h.exec.some((x) => typeof x !== 'string')) add(f, `${show(h)} is not a health check; use { http: path }, { exec: [...] } or { tcp: port }`);
  }
  for (const w of asList(c.writable)) {
    const p = typeof w === 'string' ? w : w?.path;
    if (typeof p !== 'string' || !p.startsWith('/')) add('writable', `${show(p)} is not an absolute path`);
    if (w !== null && typeof w === 'object' && w.sizeLimit !== undefined) add('writable', quantity(w.sizeLimit));
  }
  if (c.command !== undefined && (!Array.isArray(c.command) || c.command.some((x) => typeof x !== 'string'))) add('command', `expected a list of strings, got ${show(c.command)}`);
  if (c.args !== undefined && (!Array.isArray(c.args) || c.args.some((x) => typeof x !== 'string'))) add('args', `expected a list of strings, got ${show(c.args)}`);
  return out;
}

/** Checks a resources block: requests of cpu and memory and a memory limit, all quantities. */
export function resourceProblems(r: Resources | undefined): Array<[string, string]> {
  if (r === undefined || r === null || typeof r !== 'object') {
    return [['resources', 'is missing; state requests (cpu, memory) and limits (memory) for every env']];
  }
  const out: Array<[string, string]> = [];
  if (!r.requests) out.push(['resources.requests', 'is missing; state cpu and memory']);
  else {
    for (const k of ['cpu', 'memory'] as const) {
      const q = r.requests[k] === undefined ? 'is missing' : quantity(r.requests[k]);
      if (q) out.push([`resources.requests.${k}`, q]);
    }
  }
  if (!r.limits) out.push(['resources.limits', 'is missing; state at least memory']);
  else {
    const m = r.limits.memory === undefined ? 'is missing; a container without a memory limit can take the node down' : quantity(r.limits.memory);
    if (m) out.push(['resources.limits.memory', m]);
    if (r.limits.cpu !== undefined) {
      const c = quantity(r.limits.cpu);
      if (c) out.push(['resources.limits.cpu', c]);
    }
  }
  return out;
}
