// What a node without the rules role hands to the node that has it. REST on a web node changes
// the database as everywhere; the commands the running rules engine and the map colours must hear
// of travel as bus notices, and the rules node applies them to its own instances (followRemote).
import type { OpenEpisode, RulesRuntime } from '../alerts/rulesRuntime';
import type { MapStatus } from '../live/mapStatus';
import type { RouteRulesOverrides } from '../rules/routeRules';
import type { ClusterBus } from './bus';

/** The rules commands other parts give (the runtime's engine and geofences stay on the rules node). */
export type RulesCommands = Omit<RulesRuntime, 'engine' | 'geo' | 'stop' | 'save'>;
/** The colour changes the customs links and the bonded-zone check give. */
export type ColourCommands = Pick<MapStatus, 'restore' | 'released'>;

const T = {
  world: 'rules.world',
  routeRules: 'rules.routeRules',
  interval: 'rules.interval',
  event: 'rules.event',
  ack: 'rules.ack',
  restore: 'colour.restore',
  released: 'colour.released',
} as const;

/** On a node without the rules role: the commands, sent to the rules node. */
export function remoteRules(bus: ClusterBus): RulesCommands {
  return {
    // A movement's watch follows its row: every node re-reads a changed movement (movement notices).
    watch: () => {},
    unwatch: () => {},
    reloadFences: async () => bus.publish(T.world),
    setRouteRules: (routeId, stored) => bus.publish(T.routeRules, { routeId, stored }),
    setReportInterval: (assetId, seconds) => bus.publish(T.interval, { assetId, seconds: seconds ?? null }),
    onEvent: (e) => bus.publish(T.event, { e }),
    acknowledge: (episode) => bus.publish(T.ack, { episode }),
  };
}

export function remoteColours(bus: ClusterBus): ColourCommands {
  return {
    restore: (episodes) => bus.publish(T.restore, { episodes }),
    released: (episodes) => bus.publish(T.released, { episodes }),
  };
}

/** On the rules node: what the other nodes send, applied to the real instances. */
export function followRemote(bus: ClusterBus, rules: RulesCommands, colours: ColourCommands, acknowledged: (episode: string) => void): void {
  bus.on(T.world, () => rules.reloadFences());
  bus.on(T.routeRules, (n) => rules.setRouteRules(n.routeId as number, (n.stored as RouteRulesOverrides | null) ?? null));
  bus.on(T.interval, (n) => rules.setReportInterval(n.assetId as number, (n.seconds as number | null) ?? undefined));
  bus.on(T.event, (n) => rules.onEvent(n.e as Parameters<RulesCommands['onEvent']>[0]));
  bus.on(T.ack, (n) => acknowledged(n.episode as string));
  bus.on(T.restore, (n) => colours.restore(n.episodes as OpenEpisode[]));
  bus.on(T.released, (n) => colours.released(n.episodes as OpenEpisode[]));
}
