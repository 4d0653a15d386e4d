// Refused webhook REST calls (/api/webhooks/**), by the status answered: bad input is counted, not
// only answered. Labels are a fixed list (../metricLabels.ts).
import { Counter } from 'prom-client';
import { ApiError, STATUS_OF } from '../http/api';
import { DomainError } from '../errors';
import { closeLabels } from '../metricLabels';
import { registry } from '../metrics';

export const webhookApiRefused = closeLabels(
  new Counter({
    name: 'tw_webhook_api_refused_total',
    help: 'Webhook subscription REST calls refused, by the status answered',
    labelNames: ['status'] as const,
    registers: [registry],
  }),
  { status: ['400', '401', '403', '404', '409'] },
);

/** Wraps a route handler's body: a refusal is counted, then answered as before (by handler()). */
export function counted<A extends unknown[]>(fn: (request: Request, ...rest: A) => Promise<Response>) {
  return async (request: Request, ...rest: A): Promise<Response> => {
    try {
      return await fn(request, ...rest);
    } catch (err) {
      const status = err instanceof ApiError ? err.status : DomainError.is(err) ? STATUS_OF[err.kind] : null;
      if (status !== null) webhookApiRefused.inc({ status: String(status) });
      throw err;
    }
  };
}
