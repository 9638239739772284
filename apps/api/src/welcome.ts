interface Welcome {
  /** With JSON logs, the welcome is one more JSON line (a log collector reads every line). */
  format: 'pretty' | 'json';
  publicUrl: string;
  admin: { email: string; generatedPassword: string | null };
  demo: { slug: string; inviteUrl: string } | null;
}

/** What the person who just ran `npm start` needs: where to go and how to sign in. */
export function printWelcome({ format, publicUrl, admin, demo }: Welcome): void {
  if (format === 'json') {
    const entry = {
      level: 30,
      time: Date.now(),
      msg: `Pressroom is running at ${publicUrl}`,
      console: `${publicUrl}/console`,
      moderator: admin.email,
      ...(admin.generatedPassword ? { generatedPassword: admin.generatedPassword } : {}),
      ...(demo ? { demoEvent: `${publicUrl}/${demo.slug}`, demoInvite: demo.inviteUrl } : {}),
    };
    process.stdout.write(JSON.stringify(entry) + '\n');
    return;
  }
  const password = admin.generatedPassword
    ? `password: ${admin.generatedPassword}   (shown only this once)`
    : 'password: as set in PRESSROOM_ADMIN_PASSWORD, or shown at first start';
  const lines = [
    '',
    `Pressroom is running at ${publicUrl}`,
    `  Console:         ${publicUrl}/console`,
    `  Moderator login: ${admin.email}   ${password}`,
    `  API docs:        ${publicUrl}/api/docs`,
    ...(demo
      ? [
          `  Demo event page: ${publicUrl}/${demo.slug}`,
          `  Its broadcast:   ${publicUrl}/hls/${demo.slug}/index.m3u8`,
          `  Speaker invite:  ${demo.inviteUrl}`,
        ]
      : []),
    '',
  ];
  process.stdout.write(lines.join('\n') + '\n');
}
