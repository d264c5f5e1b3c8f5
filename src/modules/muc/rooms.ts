// The rooms of one MUC service. Persistent rooms (XEP-0045 §10.2 muc#roomconfig_persistentroom)
// are written to the component's keyval store "muc_rooms" (key: the room's localpart) with their
// configuration, affiliations and subject, and come back when the server starts; temporary rooms
// live in memory and vanish when their last occupant leaves (§10.1.1 / §7.14).
import { defaultRoomConfig, Room, type RoomConfig, type RoomState } from "../../services/muc-room.js";
import type { Json, KeyValueStore } from "../../storage/types.js";
import type { Element } from "../../xml/element.js";
import type { MucRoom } from "./env.js";

export const ROOM_STORE = "muc_rooms";

export class RoomRegistry {
  private readonly rooms = new Map<string, MucRoom>();

  constructor(
    /** The service's domain (conference.<domain>). */
    readonly domain: string,
    private readonly store: KeyValueStore,
    private readonly defaults: Partial<RoomConfig>,
    /** Called with the room's localpart when a room stops existing (destroyed, or temporary and empty). */
    private readonly onRemoved: (name: string) => void = () => {},
  ) {}

  /** Loads every persistent room from the store (at module setup). */
  loadPersistent(): number {
    let n = 0;
    for (const name of this.store.users()) {
      const state = this.store.get(name) as unknown as RoomState | undefined;
      if (!state?.config) continue;
      const room = new Room<Element, Element>(`${name}@${this.domain}`, { ...defaultRoomConfig(this.defaults), ...state.config }, state);
      this.rooms.set(name, room);
      n++;
    }
    return n;
  }

  get(name: string): MucRoom | undefined {
    return this.rooms.get(name);
  }

  all(): MucRoom[] {
    return [...this.rooms.values()];
  }

  /** A new room owned by its creator (§10.1.1). */
  create(name: string, ownerBare: string): MucRoom {
    const room = new Room<Element, Element>(`${name}@${this.domain}`, defaultRoomConfig(this.defaults), { affiliations: { [ownerBare]: "owner" } });
    this.rooms.set(name, room);
    return room;
  }

  /** Writes a persistent room's state, or removes a room that stopped being persistent. */
  save(room: MucRoom): void {
    const name = localpart(room);
    if (room.config.persistent) this.store.set(name, room.state() as unknown as Json);
    else if (this.store.get(name) !== undefined) this.store.set(name, undefined);
  }

  /** Forgets a room (destroyed, or temporary and empty), in memory and in the store. */
  remove(room: MucRoom): void {
    const name = localpart(room);
    const current = this.rooms.get(name) === room;
    if (current) this.rooms.delete(name);
    if (this.store.get(name) !== undefined) this.store.set(name, undefined);
    if (current) this.onRemoved(name);
  }

  /** §7.14: a temporary room goes away with its last occupant. */
  dropIfUnused(room: MucRoom): void {
    if (room.isEmpty() && !room.config.persistent) this.remove(room);
  }
}

/** The room's name: the localpart of its JID (the key of its stored state and of its archive). */
export function localpart(room: MucRoom): string {
  return room.jid.slice(0, room.jid.indexOf("@"));
}
