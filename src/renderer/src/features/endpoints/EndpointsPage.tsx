import { navigate, useParsedRoute } from '../../app/router';
import { CreateEndpointDrawer } from './create-endpoint-drawer';
import { EndpointDetail } from './endpoint-detail';
import { EndpointList } from './endpoint-list';
import './endpoints.css';

/** `#/endpoints` (list), `#/endpoints?new=1` (list + create drawer), `#/endpoints/<id>` (detail). */
export function EndpointsPage() {
  const route = useParsedRoute();
  // A render may already see another page's hash (`#/deliveries/<id>`) before the shell swaps this page out: only an
  // endpoints route names an endpoint (else its id would be fetched as one, a 404).
  const mine = route.page === 'endpoints';
  const id = mine ? route.id : null;
  const creating = mine && route.params.get('new') === '1';
  const openCreate = () => navigate('/endpoints?new=1');
  const closeCreate = () => navigate('/endpoints', { replace: true });
  return (
    <>
      {id ? <EndpointDetail key={id} id={id} /> : <EndpointList onCreate={openCreate} />}
      {creating ? <CreateEndpointDrawer onClose={closeCreate} /> : null}
    </>
  );
}
