// Two small images whose SHA-1 was computed outside the code under test (`base64 -d | sha1sum`).
export const PNG_1X1 = {
  base64: "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==",
  sha1: "c7a9c45fd419815a5ab1998503a9f03514c0e229",
  bytes: 70,
};

export const JPEG_STUB = {
  base64: "/9j/4EpGSUZ0ZXN0",
  sha1: "effc7d058a3de177f86422ae06936e9c312a7f48",
  bytes: 12,
};
