// Compiled with `tsc --strict` over the types graphql-codegen made with ../codegen.ts: fails
// when a scalar comes out `unknown` or `any`, or when an operation's fields lose their types.
import type {
  EmergencyDeclareMutation,
  MyInboxQuery,
  MyPointsBalanceQuery,
  NotificationAddedSubscription,
  PlaceCreateMutationVariables,
} from "./generated/graphql.js";

// `unknown extends T` holds for exactly `unknown` and `any`: each custom scalar (DateTime,
// Decimal, ID) in an answer and in an input must be typed. (test_clients.py also reads the
// generated file for any `unknown` or `any`.)
type Loose<T> = unknown extends T ? true : false;
type MustBeFalse<T extends false> = T;
type Notification = NotificationAddedSubscription["notificationAdded"];
export type ScalarsAreTyped = [
  MustBeFalse<Loose<Notification["createdAt"]>>,
  MustBeFalse<Loose<Notification["id"]>>,
  MustBeFalse<Loose<NonNullable<PlaceCreateMutationVariables["input"]["areaM2"]>>>,
  MustBeFalse<Loose<PlaceCreateMutationVariables["input"]["parentId"]>>,
];

export function createdAt(event: NotificationAddedSubscription): string {
  const at: string = event.notificationAdded.createdAt;
  return new Date(at).toISOString();
}

export function firstLine(inbox: MyInboxQuery): string | null {
  const [line] = inbox.myInbox.nodes;
  return line ? `${line.__typename} ${line.event} ${line.text}` : null;
}

export function window(declared: EmergencyDeclareMutation): [string, string] | null {
  const emergency = declared.emergencyDeclare.emergency;
  return emergency ? [emergency.startsAt, emergency.endsAt] : null;
}

export function balance(points: MyPointsBalanceQuery): number | undefined {
  return points.myPoints?.balance;
}

export const household: PlaceCreateMutationVariables = {
  input: { parentId: "RW50cmFuY2U6MQ==", name: "9-901", areaM2: "61.5" },
};
