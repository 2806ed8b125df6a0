import type { World } from '../kernel/world';
import type { ServiceModel } from './model';

// The kernel's World knows namespaces and hosts, not Kubernetes Services; flows that name a
// Service (svc:NS/NAME:PORT) need the Services the world was built from, so they are kept here.
const registry = new WeakMap<World, readonly ServiceModel[]>();

export function registerServices(world: World, services: readonly ServiceModel[]): void {
  registry.set(world, services);
}

export function servicesOf(world: World): readonly ServiceModel[] {
  return registry.get(world) ?? [];
}
