// How long a written answer is, in characters and in words: the browser's half of
// forum/surveys/counting.py, which says the rules. Both clean the text the same way
// (forum/web/text.py `clean_text`) before counting, so what the page says as people type is
// what the server accepts. tests/surveys/test_counting.py runs both over the same strings.

// Unicode's White_Space property, written out: JavaScript's \s and Python's \s disagree.
export const WORD_SPACES =
  '\t\n\u000b\u000c\r \u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008' +
  '\u2009\u200a\u2028\u2029\u202f\u205f\u3000'

const UNSAFE = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f-\u009f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]/gu
const SPACES = /[ \t\u00a0\u2000-\u200a\u3000]+/gu
const WORD = new RegExp(`[^${WORD_SPACES}]+`, 'gu')
const LEADING = new RegExp(`^[${WORD_SPACES}]+`, 'u')
const TRAILING = new RegExp(`[${WORD_SPACES}]+$`, 'u')

function strip(text) {
  return text.replace(LEADING, '').replace(TRAILING, '')
}

// The text as the server saves it (clean_text).
export function cleanText(value, multiline = false) {
  if (value === null || value === undefined) return ''
  let text = String(value).normalize('NFC').replace(/\r\n/g, '\n').replace(/\r/g, '\n')
  text = text.replace(UNSAFE, '')
  if (multiline) {
    const lines = text.split('\n').map((line) => line.replace(SPACES, ' ').replace(TRAILING, ''))
    text = lines.join('\n').replace(/\n{3,}/g, '\n\n')
  } else {
    text = text.replace(/\n/g, ' ').replace(SPACES, ' ')
  }
  return strip(text)
}

// Characters in cleaned text: Unicode code points, not UTF-16 code units.
export function countCharacters(text) {
  return Array.from(text).length
}

// Words in cleaned text: runs of anything but WORD_SPACES.
export function countWords(text) {
  const found = text.match(WORD)
  return found ? found.length : 0
}

function plural(count, one, many) {
  return `${count.toLocaleString('en-GB')} ${count === 1 ? one : many}`
}

// What the live count says: { text, over } for a field with these limits.
// `limits` is { words: number | null, characters: number, saysCharacters: boolean }.
export function describe(value, multiline, limits) {
  const text = cleanText(value, multiline)
  const characters = countCharacters(text)
  if (limits.words !== null && limits.words !== undefined) {
    const words = countWords(text)
    if (words > limits.words) {
      return { text: `You have ${plural(words - limits.words, 'word', 'words')} too many`, over: true }
    }
    if (characters > limits.characters) {
      const over = characters - limits.characters
      return { text: `You have ${plural(over, 'character', 'characters')} too many`, over: true }
    }
    return { text: `You have ${plural(limits.words - words, 'word', 'words')} remaining`, over: false }
  }
  if (characters > limits.characters) {
    const over = characters - limits.characters
    return { text: `You have ${plural(over, 'character', 'characters')} too many`, over: true }
  }
  if (!limits.saysCharacters) return { text: '', over: false }
  return {
    text: `You have ${plural(limits.characters - characters, 'character', 'characters')} remaining`,
    over: false,
  }
}
