import os

import psycopg2
import redis

# ruleid: service-host-in-code-python
cache = redis.Redis(host="localhost", port=6379)
# ruleid: service-host-in-code-python
conn = psycopg2.connect(host="db", dbname="app")
# ruleid: service-host-in-code-python
engine = create_engine("postgresql://app@postgres:5432/app")
# ruleid: service-host-in-code-python
client = MongoClient("mongodb://10.0.0.5:27017")
# ok: service-host-in-code-python
cache = redis.Redis.from_url(os.environ["REDIS_URL"])
# ok: service-host-in-code-python
conn = psycopg2.connect(host="db.prod.example.com", dbname="app")
# ok: service-host-in-code-python
engine = create_engine("sqlite:///app.db")
