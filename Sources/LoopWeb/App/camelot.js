// The Camelot wheel: minor keys are A, major keys B; neighbours on the wheel mix well.

export const camelotKeys = [
  ['1A', 'A♭m'], ['2A', 'E♭m'], ['3A', 'B♭m'], ['4A', 'Fm'], ['5A', 'Cm'], ['6A', 'Gm'],
  ['7A', 'Dm'], ['8A', 'Am'], ['9A', 'Em'], ['10A', 'Bm'], ['11A', 'F♯m'], ['12A', 'D♭m'],
  ['1B', 'B'], ['2B', 'F♯'], ['3B', 'D♭'], ['4B', 'A♭'], ['5B', 'E♭'], ['6B', 'B♭'],
  ['7B', 'F'], ['8B', 'C'], ['9B', 'G'], ['10B', 'D'], ['11B', 'A'], ['12B', 'E'],
];

const names = new Map(camelotKeys);

export function keyName(code) {
  return names.get(code) ?? code;
}
