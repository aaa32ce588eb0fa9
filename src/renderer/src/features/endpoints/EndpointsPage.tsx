import { navigate, useParsedRoute } from '../../app/router';
import { CreateEndpointDrawer } from './create-endpoint-drawer';
import { EndpointDetail } from './endpoint-detail';
import { EndpointList } from './endpoint-list';
import './endpoints.css';

/** `#/endpoints` (list), `#/endpoints?new=1` (list + create drawer), `#/endpoints/<id>` (detail). */
export function EndpointsPage() {
  const route = useParsedRoute();
  const creating = route.params.get('new') === '1';
  const openCreate = () => navigate('/endpoints?new=1');
  const closeCreate = () => navigate('/endpoints', { replace: true });
  return (
    <>
      {route.id ? <EndpointDetail key={route.id} id={route.id} /> : <EndpointList onCreate={openCreate} />}
      {creating ? <CreateEndpointDrawer onClose={closeCreate} /> : null}
    </>
  );
}
