import {
  judgeReservation,
  type SlotCounts,
  slotId,
  slotRoom,
  sumWindow,
} from '../../lib/core/brake/brakeWindow.js';
import type { BrakeLimits, ChangeCounts, Hold } from '../../lib/core/brake/types.js';
import type { ChangeWindowStore, WindowReservation } from '../../lib/usecases/brake/ports.js';

/** The brake's window and hold in memory, with the same arithmetic and conditions as DynamoChangeWindow. */
export interface MemoryChangeWindow extends ChangeWindowStore {
  readonly slots: Map<string, SlotCounts>;
  hold: Hold | undefined;
  /** Every reservation asked, in order. */
  readonly asked: ChangeCounts[];
}

export function memoryChangeWindow(): MemoryChangeWindow {
  const store: MemoryChangeWindow = {
    slots: new Map(),
    hold: undefined,
    asked: [],
    async reserve(request: ChangeCounts, limits: BrakeLimits, nowMs: number): Promise<WindowReservation> {
      store.asked.push(request);
      const slots = [...store.slots.values()];
      const used = sumWindow(slots, nowMs, limits.windowMinutes);
      const judgement = judgeReservation(used, request, limits);
      if (!judgement.fits) return { kind: 'over', used, reason: judgement.reason };
      if (store.hold !== undefined) return { kind: 'held', hold: structuredClone(store.hold) };
      const current = slotId(nowMs);
      const others = sumWindow(
        slots.filter((slot) => slot.slot !== current),
        nowMs,
        limits.windowMinutes,
      );
      const room = slotRoom(others, request, limits);
      const slot = store.slots.get(current) ?? { slot: current, changes: 0, deletes: 0 };
      if (
        (room.changes !== undefined && slot.changes > room.changes) ||
        (room.deletes !== undefined && slot.deletes > room.deletes)
      )
        throw new Error('memory window: a reservation would pass the room the window left');
      store.slots.set(current, {
        slot: current,
        changes: slot.changes + request.changes,
        deletes: slot.deletes + request.deletes,
      });
      return { kind: 'granted' };
    },
    async startHold(hold) {
      if (store.hold !== undefined) return false;
      store.hold = structuredClone(hold);
      return true;
    },
    async currentHold() {
      return store.hold === undefined ? undefined : structuredClone(store.hold);
    },
    async windowCounts(windowMinutes, nowMs) {
      return sumWindow([...store.slots.values()], nowMs, windowMinutes);
    },
    async release() {
      const hold = store.hold;
      store.hold = undefined;
      store.slots.clear();
      return hold;
    },
  };
  return store;
}
