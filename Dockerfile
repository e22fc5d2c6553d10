# 报告问答机器人: the Telegram bot over the bundled reports.
#   docker build -t reportbot .
#   docker run -e TELEGRAM_BOT_TOKEN=... -v reportbot-data:/data reportbot
#   docker run --rm reportbot python -m bot ask "售价多少"
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    PIP_DISABLE_PIP_VERSION_CHECK=1 \
    LANG=C.UTF-8

# Pinned dependencies first, in their own layer: editing code or seeds
# does not reinstall them.
COPY requirements.txt /tmp/requirements.txt
RUN pip install -r /tmp/requirements.txt && rm /tmp/requirements.txt

RUN useradd --create-home --uid 10001 --home-dir /home/bot bot \
    && mkdir -p /data && chown bot:bot /data

WORKDIR /app
COPY index/ index/
COPY bot/ bot/
COPY seeds/ seeds/

USER bot
ENV BOT_SEEDS_DIR=/app/seeds \
    BOT_DB_PATH=/data/bot.sqlite3 \
    BOT_LIBRARY_DIR=/data/library \
    BOT_CACHE_DIR=/data/cache
# Build the index once so the jieba dictionary's pickle (index.segment) is in
# the image and a broken seed fails the build; each report's analysis is then
# kept in /data/cache (index.cache) from the first start on.
RUN python -c "from index import load_corpus, build_index; build_index(load_corpus('seeds'))"

VOLUME ["/data"]
CMD ["python", "-m", "bot", "run"]
