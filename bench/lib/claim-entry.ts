// The claim's two parts, built alone for `--scale` (bench/scale.mjs).
export { DeliveryQueue } from '../../src/main/engine/delivery/queue';
export { DeliveryStates } from '../../src/main/engine/delivery/state';
