import type { World } from '../kernel/world';
import type { ClusterModel, ServiceModel } from './model';

// The kernel's World knows namespaces and hosts, not Kubernetes Services; flows that name a
// Service (svc:NS/NAME:PORT) need the Services the world was built from, so they are kept here.
const registry = new WeakMap<World, readonly ServiceModel[]>();

export function registerServices(world: World, services: readonly ServiceModel[]): void {
  registry.set(world, services);
}

export function servicesOf(world: World): readonly ServiceModel[] {
  return registry.get(world) ?? [];
}

// DNS answers (CoreDNS reads Services, EndpointSlices and Pods) and resolv.conf (kubelet reads
// the pod's dnsPolicy) need the whole cluster model the world was built from.
const models = new WeakMap<World, ClusterModel>();

export function registerCluster(world: World, model: ClusterModel): void {
  models.set(world, model);
}

export function clusterOf(world: World): ClusterModel | undefined {
  return models.get(world);
}
