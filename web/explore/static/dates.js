// Partial dates as the periods they stand for: "2013" is all of 2013, "2013-01" all of
// January, "2013-01-11" one day. Times are UTC milliseconds; ends are exclusive.
const DAY = 86_400_000;

function parts(iso) {
  const [year, month, day] = iso.split("-").map(Number);
  return [year, month, day];
}

export function periodStart(iso) {
  const [year, month, day] = parts(iso);
  return Date.UTC(year, (month || 1) - 1, day || 1);
}

export function periodEnd(iso) {
  const [year, month, day] = parts(iso);
  if (day) return Date.UTC(year, month - 1, day + 1);
  if (month) return Date.UTC(year, month, 1);
  return Date.UTC(year + 1, 0, 1);
}

// "YYYY-MM-DD" for an instant; `inclusiveEnd` turns an exclusive end into its last day.
export function dayString(time, inclusiveEnd = false) {
  return new Date(inclusiveEnd ? time - DAY : time).toISOString().slice(0, 10);
}

export { DAY };
