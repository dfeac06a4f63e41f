import { defineHeartbeats } from '../core/schemas/operator-config';

/**
 * Heartbeat monitors (dead-man switches): `POST /v1/heartbeats/<name>` pings one. When no
 * ping comes for `intervalSeconds` + `graceSeconds`, one incident is declared. A monitor
 * starts watching at its first ping. `senders` names the API keys (by their name in
 * `API_KEYS`) allowed to ping it: a ping with any other key answers 403.
 */
export default defineHeartbeats([
  {
    name: 'nightly-backup',
    intervalSeconds: 86_400,
    graceSeconds: 3_600,
    title: 'Nightly backup did not report',
    service: 'backups',
    severity: 'SEV2',
    escalationPolicy: 'primary-on-call',
    onRecovery: 'resolve',
    senders: ['backup-job'],
  },
]);
