import { randomInt } from 'node:crypto';

const ADJECTIVES = ['Curious', 'Brave', 'Calm', 'Clever', 'Gentle', 'Happy', 'Lively', 'Nimble', 'Quiet', 'Swift', 'Witty', 'Bold', 'Bright', 'Cheerful', 'Keen', 'Merry'];
const ANIMALS = ['Otter', 'Fox', 'Heron', 'Lynx', 'Panda', 'Badger', 'Falcon', 'Koala', 'Puffin', 'Seal', 'Wren', 'Yak', 'Owl', 'Hare', 'Ibis', 'Marten'];
/** Caret colours with enough contrast on white. */
export const USER_COLORS = ['#e6194b', '#3cb44b', '#4363d8', '#f58231', '#911eb4', '#42d4f4', '#f032e6', '#469990', '#9a6324', '#800000', '#808000', '#000075'];

export function randomFriendlyName(): string {
  return `${ADJECTIVES[randomInt(ADJECTIVES.length)]} ${ANIMALS[randomInt(ANIMALS.length)]}`;
}

export function randomColor(): string {
  return USER_COLORS[randomInt(USER_COLORS.length)]!;
}
