import { handler } from '../../../../../server/http/api';
import { alertAction } from '../../../../../server/http/alertAction';

export const dynamic = 'force-dynamic';

export const POST = handler(async (request: Request, { params }: { params: Promise<{ id: string }> }) => alertAction(request, (await params).id, 'resolve'));
